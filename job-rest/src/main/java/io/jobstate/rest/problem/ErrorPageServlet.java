package io.jobstate.rest.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page of the application (web.xml): errors the servlet container answers itself, before
 * or around JAX-RS — a path it cannot decode, a request refused with {@code sendError} — are answered
 * with a problem body of the same status, like every error of the service. Asked for directly, it is
 * not there (404). Thread-safe (stateless).
 */
@WebServlet(urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

    static final String PATH = "/problem-error";
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? code : HttpServletResponse.SC_NOT_FOUND;
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(Problem.of(status, detail(status)).body().toString());
    }

    private static String detail(int status) {
        return switch (status) {
            case HttpServletResponse.SC_BAD_REQUEST -> "The request could not be read (for example, its path cannot be decoded).";
            case HttpServletResponse.SC_NOT_FOUND -> "There is nothing here.";
            default -> null;
        };
    }
}
