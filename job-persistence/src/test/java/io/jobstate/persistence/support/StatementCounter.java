package io.jobstate.persistence.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A data source in front of a real one that counts the statements its connections prepare or create:
 * the round trips a store operation costs, and their SQL in order (a created statement's as "").
 * Thread-safe.
 */
public final class StatementCounter {

    private static final Set<String> STATEMENTS = Set.of("prepareStatement", "createStatement", "prepareCall");

    private final List<String> statements = new ArrayList<>();
    private final DataSource dataSource;

    public StatementCounter(DataSource real) {
        this.dataSource = proxy(DataSource.class, real, (method, arguments, result) ->
                method.equals("getConnection") ? proxy(Connection.class, (Connection) result, this::counted) : result);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The statements counted since the last call to this or {@link #takeSql()}. */
    public int take() {
        return takeSql().size();
    }

    /** The SQL of the statements counted since the last call to this or {@link #take()}, in order. */
    public synchronized List<String> takeSql() {
        List<String> taken = List.copyOf(statements);
        statements.clear();
        return taken;
    }

    private synchronized Object counted(String method, Object[] arguments, Object result) {
        if (STATEMENTS.contains(method)) {
            statements.add(arguments != null && arguments.length > 0 && arguments[0] instanceof String sql ? sql : "");
        }
        return result;
    }

    @FunctionalInterface
    private interface AfterCall {
        Object apply(String method, Object[] arguments, Object result);
    }

    private static <T> T proxy(Class<T> type, T real, AfterCall after) {
        InvocationHandler handler = (self, method, arguments) -> {
            try {
                return after.apply(method.getName(), arguments, method.invoke(real, arguments));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
