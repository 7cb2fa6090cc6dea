package io.jobstate.persistence.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source in front of a real one that counts the statements its connections prepare or create:
 * the round trips a store operation costs. Thread-safe.
 */
public final class StatementCounter {

    private static final Set<String> STATEMENTS = Set.of("prepareStatement", "createStatement", "prepareCall");

    private final AtomicInteger statements = new AtomicInteger();
    private final DataSource dataSource;

    public StatementCounter(DataSource real) {
        this.dataSource = proxy(DataSource.class, real, (method, result) ->
                method.equals("getConnection") ? proxy(Connection.class, (Connection) result, this::counted) : result);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The statements counted since the last call. */
    public int take() {
        return statements.getAndSet(0);
    }

    private Object counted(String method, Object result) {
        if (STATEMENTS.contains(method)) {
            statements.incrementAndGet();
        }
        return result;
    }

    @FunctionalInterface
    private interface AfterCall {
        Object apply(String method, Object result);
    }

    private static <T> T proxy(Class<T> type, T real, AfterCall after) {
        InvocationHandler handler = (self, method, arguments) -> {
            try {
                return after.apply(method.getName(), method.invoke(real, arguments));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
