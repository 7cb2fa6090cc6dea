package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, as the operating system hands them out. Another
 * process may still take one between this probe and the server's bind: callers that can, try
 * again. Thread-safe (no state).
 */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    static int free() {
        return free(1).getFirst();
    }

    /** {@code count} distinct free ports: all are held open until the last is found. */
    static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket nobody connected to does not fail in practice
                }
            }
        }
    }
}
