package io.jobstate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP pass-through in front of the server that counts the connections clients open through it:
 * what a test needs to tell whether a client kept one connection or had to open new ones. Every
 * socket and thread it opens ends with {@link #close()}. Thread-safe.
 */
final class CountingProxy implements AutoCloseable {

    private final ServerSocket listening;
    private final int targetPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private CountingProxy(ServerSocket listening, int targetPort) {
        this.listening = listening;
        this.targetPort = targetPort;
    }

    /** A proxy on a free loopback port forwarding to {@code targetPort} on loopback. */
    static CountingProxy to(int targetPort) {
        try {
            CountingProxy proxy = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
            Thread.ofVirtual().name("counting-proxy").start(proxy::acceptUntilClosed);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listening.getLocalPort();
    }

    /** How many connections clients have opened so far. */
    int connections() {
        return accepted.get();
    }

    private void acceptUntilClosed() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                accepted.incrementAndGet();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: the other follows below
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        });
    }

    @Override
    public void close() {
        closeQuietly(listening);
        sockets.forEach(CountingProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
