package io.jobstate.persistence.contract;

import io.jobstate.persistence.LockingPath;

class CompareAndSetStoreIT extends JobStoreContract {

    @Override
    LockingPath path() {
        return LockingPath.CAS;
    }
}
