package io.jobstate.it;

@LockingPath("cas")
class CasJobsApiIT extends JobsApiContract {
}
