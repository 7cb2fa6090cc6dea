package io.jobstate.it.storm;

import jakarta.annotation.Priority;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.UriBuilder;

/**
 * A REST client provider that sends each calling thread's requests to the server instance it was
 * given ({@link #route}): callers split between two Liberty instances through one configured
 * client, as a load balancer with sticky clients would split them. Retries happen on the calling
 * thread, so they go to the same instance.
 */
@Priority(1000)
public final class InstanceRouter implements ClientRequestFilter {

    private static final ThreadLocal<Integer> PORT = new ThreadLocal<>();

    /** From now on, this thread's requests go to the instance on {@code port}. */
    public static void route(int port) {
        PORT.set(port);
    }

    @Override
    public void filter(ClientRequestContext request) {
        Integer port = PORT.get();
        if (port != null) {
            request.setUri(UriBuilder.fromUri(request.getUri()).port(port).build());
        }
    }
}
