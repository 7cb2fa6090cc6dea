package io.jobstate.persistence.internal;

import io.jobstate.jobs.events.EventLog;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL {@code LISTEN} on the publishing channel, on a connection of its own. The driver's
 * {@code PGConnection} is reached through {@code unwrap} (in Open Liberty the driver must be visible
 * to the application: the {@code global} library).
 *
 * <p>A quiet line and a line to a database that hangs (a frozen primary, a network that drops
 * packets without a reset) look alike: no notification comes. So after {@link #CHECK_AFTER} without
 * one, the line asks the database for an answer, which the connection's network bound (pgjdbc's
 * {@code socketTimeout}) waits for: a hung line fails within {@code CHECK_AFTER} plus that bound,
 * and its owner opens a new one (the streams poll meanwhile). Not thread-safe: one listening thread
 * owns it.
 */
final class EventAnnouncements implements EventLog.Announcements {

    private static final Logger LOG = Logger.getLogger(EventAnnouncements.class.getName());

    /** Silence after which the line checks that the database still answers. */
    static final Duration CHECK_AFTER = Duration.ofSeconds(5);

    private final Connection connection;
    private final PGConnection driver;
    private final String listen;
    private long heard = System.nanoTime();

    private EventAnnouncements(Connection connection, PGConnection driver, String listen) {
        this.connection = connection;
        this.driver = driver;
        this.listen = listen;
    }

    static EventAnnouncements open(DataSource dataSource, String channel) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            String listen = "LISTEN " + channel;
            try (Statement statement = connection.createStatement()) {
                statement.execute(listen);
            }
            return new EventAnnouncements(connection, connection.unwrap(PGConnection.class), listen);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw Failures.translate(new PersistenceException("cannot listen on " + channel + ": " + e.getMessage(), e));
        }
    }

    @Override
    public long await(Duration max) {
        try {
            PGNotification[] notifications = driver.getNotifications(Math.toIntExact(Math.max(1, max.toMillis())));
            long newest = -1;
            if (notifications != null && notifications.length > 0) {
                heard = System.nanoTime();
                for (PGNotification notification : notifications) {
                    newest = Math.max(newest, parse(notification.getParameter()));
                }
            } else if (System.nanoTime() - heard >= CHECK_AFTER.toNanos()) {
                checkAnswers();
            }
            return newest;
        } catch (SQLException e) {
            throw Failures.translate(new PersistenceException("listening connection failed: " + e.getMessage(), e));
        }
    }

    /**
     * A statement on the line, which fails when the database does not answer within the network
     * bound: the same {@code LISTEN} again, which changes nothing, so that the line's last statement
     * in {@code pg_stat_activity} still says what the backend is for (ListenerOutageIT finds it so).
     */
    private void checkAnswers() throws SQLException {
        try (Statement check = connection.createStatement()) {
            check.execute(listen);
        }
        heard = System.nanoTime();
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            // someone else's NOTIFY on our channel: still a reason to look
            return 0;
        }
    }

    @Override
    public void close() {
        try (Statement unlisten = connection.createStatement()) {
            // the physical connection goes back to a pool: it must not keep collecting notifications
            unlisten.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.log(Level.FINE, "UNLISTEN failed; the connection is closed anyway", e);
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing the listening connection failed", e);
        }
    }
}
