/**
 * How the typed client reaches the service. By default that is the transport of the MicroProfile
 * REST Client implementation that hosts it (HTTP/1.1 on RESTEasy's Apache engine and on Open
 * Liberty's), on which Open Liberty closes the connection after every 4xx error answer, so a stale
 * coordinator that meets many 409s opens a connection for nearly each of them. With
 * {@code jobstate.client.http2=true}, on RESTEasy, {@link io.jobstate.client.transport.Http2Transport}
 * gives the jobstate client an engine on the JDK's {@link java.net.http.HttpClient}, which speaks
 * HTTP/2 (h2c by upgrade, or ALPN over TLS): a 4xx then ends only its stream, and one connection
 * carries every call.
 */
package io.jobstate.client.transport;
