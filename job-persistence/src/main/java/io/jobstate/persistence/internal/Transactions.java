package io.jobstate.persistence.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;

/**
 * Runs work in one resource-local transaction on a fresh entity manager: commits when the work
 * returns (nothing is written for outcomes that wrote nothing), rolls back when it throws or marked
 * the transaction rollback-only. Thread-safe; each call has its own entity manager.
 */
final class Transactions {

    private final EntityManagerFactory factory;

    Transactions(EntityManagerFactory factory) {
        this.factory = factory;
    }

    <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager entityManager;
        try {
            // the first call deploys the unit and logs in: the database may be unreachable here too
            entityManager = factory.createEntityManager();
        } catch (RuntimeException failure) {
            throw Failures.translate(failure);
        }
        EntityTransaction transaction = entityManager.getTransaction();
        try {
            transaction.begin();
            T result = work.apply(entityManager);
            if (transaction.getRollbackOnly()) {
                transaction.rollback();
            } else {
                transaction.commit();
            }
            return result;
        } catch (RuntimeException failure) {
            if (transaction.isActive()) {
                transaction.rollback();
            }
            throw Failures.translate(failure);
        } finally {
            entityManager.close();
        }
    }
}
