package io.jobstate.rest.security;

import jakarta.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Liberty answers a missing, malformed, expired or untrusted token (401) and a missing role (403)
 * itself, with an empty body, before any JAX-RS exception mapper could. This filter gives those
 * answers the same problem+json body as every other error, keeping WWW-Authenticate.
 */
@WebFilter("/api/*")
public class AuthenticationProblemFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        int status = response.getStatus();
        if ((status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN)
                && !response.isCommitted() && !"application/problem+json".equals(response.getContentType())) {
            response.resetBuffer();
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            String title = status == HttpServletResponse.SC_UNAUTHORIZED ? "Unauthorized" : "Forbidden";
            String detail = status == HttpServletResponse.SC_UNAUTHORIZED
                    ? "A valid bearer token is required." : "The token's roles do not allow this.";
            response.getWriter().write(Json.createObjectBuilder().add("type", "about:blank").add("title", title)
                    .add("status", status).add("detail", detail).build().toString());
        }
    }
}
