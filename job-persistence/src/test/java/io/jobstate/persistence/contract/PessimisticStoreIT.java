package io.jobstate.persistence.contract;

import io.jobstate.persistence.LockingPath;

class PessimisticStoreIT extends JobStoreContract {

    @Override
    LockingPath path() {
        return LockingPath.PESSIMISTIC;
    }
}
