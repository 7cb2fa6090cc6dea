package io.jobstate.rest.security;

import io.jobstate.rest.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Liberty answers a missing, malformed, expired or untrusted token (401), a missing role (403) and
 * some malformed requests itself, with an empty or HTML body, before any JAX-RS exception mapper
 * could. This filter gives every such error answer a problem body, keeping the headers
 * (WWW-Authenticate). Errors the server rejects before any filter runs cannot be reached here.
 * Supports asynchronous requests (the event streams), which it leaves alone once they started.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class AuthenticationProblemFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request.isAsyncStarted()) {
            return;
        }
        int status = response.getStatus();
        if (status >= HttpServletResponse.SC_BAD_REQUEST && !response.isCommitted()
                && (response.getContentType() == null || !response.getContentType().startsWith(Problem.MEDIA_TYPE))) {
            response.resetBuffer();
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(Problem.of(status, detail(status)).body().toString());
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case HttpServletResponse.SC_UNAUTHORIZED -> "A valid bearer token is required.";
            case HttpServletResponse.SC_FORBIDDEN -> "The token's roles do not allow this.";
            default -> "The server could not handle the request.";
        };
    }
}
