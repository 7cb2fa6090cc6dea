package io.jobstate.it.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A Java client generated from an OpenAPI document as a team would generate its own: the
 * openapi-generator command-line jar ({@code java} generator, {@code native} library: the JDK's
 * HttpClient and Jackson, nothing else) in a process of its own, so its many libraries never meet
 * the tests' classpath; then compiled, untouched, with the JDK's compiler together with code written
 * against it, and loaded. Not thread-safe: one instance per generation.
 */
public final class GeneratedClient {

    /** The generator's options, as docs/client.md recommends them. */
    public static final List<String> OPTIONS = List.of("-g", "java", "--library", "native",
            "--api-package", "io.jobstate.generated.api", "--model-package", "io.jobstate.generated.model",
            "--invoker-package", "io.jobstate.generated",
            "--additional-properties", "useJakartaEe=true,openApiNullable=false,annotationLibrary=none,"
                    + "documentationProvider=none,hideGenerationTimestamp=true,containerDefaultToNull=true",
            "--global-property", "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false");
    private static final long GENERATOR_MINUTES = 5;

    private final Path folder;

    /** Generation into {@code folder}, emptied first. */
    public GeneratedClient(Path folder) {
        this.folder = folder;
        delete(folder);
    }

    /** Runs the generator on {@code document}; the generated sources' root. The generator's output goes to generator.log. */
    public Path generate(Path generatorJar, Path document) throws InterruptedException {
        Path out = folder.resolve("client");
        Path log = folder.resolve("generator.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short run: the quick JIT tier and a small heap start it fastest on two cores
                "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", generatorJar.toString(), "generate",
                "-i", document.toString(), "-o", out.toString()));
        command.addAll(OPTIONS);
        Process generator;
        try {
            generator = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (!generator.waitFor(GENERATOR_MINUTES, TimeUnit.MINUTES)) {
                throw new AssertionError("the generator did not finish within " + GENERATOR_MINUTES + " minutes; see " + log);
            }
            if (generator.exitValue() != 0) {
                throw new AssertionError("the generator failed (exit " + generator.exitValue() + "):\n" + tail(log));
            }
        } finally {
            generator.destroyForcibly();
            generator.waitFor(30, TimeUnit.SECONDS);
        }
        return out.resolve("src/main/java");
    }

    /**
     * Compiles every Java file under {@code sourceRoots} against {@code classpath} (the tests' own,
     * as the build wrote it); a class loader over the result, child of {@code parent}.
     */
    public URLClassLoader compile(List<Path> sourceRoots, String classpath, ClassLoader parent) throws IOException {
        Path classes = Files.createDirectories(folder.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<Path> sources = new ArrayList<>();
            for (Path root : sourceRoots) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                }
            }
            List<String> options = List.of("--release", "21", "-proc:none", "-nowarn", "-encoding", "UTF-8",
                    "-d", classes.toString(), "-classpath", classpath);
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            if (!compiled) {
                throw new AssertionError("the generated client does not compile:\n" + diagnostics.getDiagnostics());
            }
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
