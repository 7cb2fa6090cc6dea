package io.jobstate.client.transport;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import org.jboss.resteasy.client.jaxrs.ClientHttpEngine;
import org.jboss.resteasy.client.jaxrs.internal.ClientInvocation;
import org.jboss.resteasy.client.jaxrs.internal.ClientResponse;
import org.jboss.resteasy.tracing.RESTEasyTracingLogger;
import org.jboss.resteasy.util.CaseInsensitiveMap;

/**
 * A RESTEasy engine on the JDK's {@link HttpClient}, which speaks HTTP/2 (h2c by upgrade on plain
 * HTTP, ALPN over TLS) and multiplexes every request on one connection per server. RESTEasy 6.2
 * ships no such engine (its Vert.x and Reactor Netty engines exist, but their factories offer no
 * HTTP/2 switch, and bring Netty and an event loop per client); this adapter only maps a request
 * and an answer, the JDK does the transport.
 *
 * <p>Bounds as on the default engine: {@code connectTimeout} for the connection,
 * {@code readTimeout} for the answer's head (then the body is read from the stream; an attempt's
 * {@code @Timeout} interrupts a read that hangs, which this engine, unlike the Apache one, honours).
 * Failures arrive as a {@link ProcessingException} around the {@link IOException}, a name that does
 * not resolve as an {@link UnknownHostException}, as the client's retry rules expect. Thread-safe.
 */
final class JdkHttpEngine implements ClientHttpEngine {

    // headers the JDK's client sets itself and refuses from callers
    private static final Set<String> TRANSPORT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final Duration readTimeout;

    private JdkHttpEngine(HttpClient client, Duration readTimeout) {
        this.client = client;
        this.readTimeout = readTimeout;
    }

    static JdkHttpEngine http2(Duration connectTimeout, Duration readTimeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new JdkHttpEngine(client, readTimeout);
    }

    @Override
    public Response invoke(Invocation invocation) {
        ClientInvocation request = (ClientInvocation) invocation;
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(toJdk(request), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ProcessingException(unresolvedAsUnknownHost(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException(e);
        }
        return new StreamedResponse(request, answer);
    }

    private HttpRequest toJdk(ClientInvocation request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getUri()).timeout(readTimeout)
                .method(request.getMethod(), body(request));
        request.getHeaders().asMap().forEach((name, values) -> {
            if (!TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.stream().filter(value -> value != null).forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** The entity written by RESTEasy's writers (the body is small: a transition or a new job). */
    private static HttpRequest.BodyPublisher body(ClientInvocation request) throws IOException {
        if (request.getEntity() == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        request.getDelegatingOutputStream().setDelegate(bytes);
        request.writeRequestBody(request.getEntityStream());
        return HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray());
    }

    /** The JDK reports a name that does not resolve as a ConnectException (with the resolver's failure below it). */
    private static IOException unresolvedAsUnknownHost(IOException failure) {
        if (failure instanceof ConnectException) {
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof UnresolvedAddressException) {
                    UnknownHostException unknown = new UnknownHostException(failure.getMessage());
                    unknown.initCause(failure);
                    return unknown;
                }
            }
        }
        return failure;
    }

    @Override
    public SSLContext getSslContext() {
        return client.sslContext();
    }

    @Override
    public HostnameVerifier getHostnameVerifier() {
        return null; // the JDK's client verifies host names itself
    }

    @Override
    public void close() {
        client.shutdown(); // lets calls under way finish, then closes the connection
    }

    /** The answer, its body read from the JDK's stream when RESTEasy asks for it. */
    private static final class StreamedResponse extends ClientResponse {

        private final HttpResponse<InputStream> answer;

        StreamedResponse(ClientInvocation request, HttpResponse<InputStream> answer) {
            super(request.getClientConfiguration(), RESTEasyTracingLogger.empty());
            this.answer = answer;
            setProperties(request.getMutableProperties());
            setStatus(answer.statusCode());
            setHeaders(headers(answer));
        }

        private static MultivaluedMap<String, String> headers(HttpResponse<?> answer) {
            CaseInsensitiveMap<String> headers = new CaseInsensitiveMap<>();
            answer.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {   // HTTP/2 pseudo-headers are not headers
                    headers.put(name, List.copyOf(values));
                }
            });
            return headers;
        }

        @Override
        protected InputStream getInputStream() {
            if (is == null && !isClosed()) {
                is = answer.body();
            }
            return is;
        }

        @Override
        protected void setInputStream(InputStream stream) {
            is = stream;
            resetEntity();
        }

        @Override
        public void releaseConnection() throws IOException {
            releaseConnection(false);
        }

        @Override
        public void releaseConnection(boolean consumeInputStream) throws IOException {
            // closing the stream ends the exchange; the connection stays with the client for the next one
            try (InputStream stream = answer.body()) {
                if (consumeInputStream) {
                    stream.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }
}
