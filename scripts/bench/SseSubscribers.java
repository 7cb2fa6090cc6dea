import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The subscriber load of {@code ./jobstate bench events}: many Server-Sent Event streams of one jobstate
 * instance, followed at once by a few threads (JDK {@link HttpClient}, HTTP/1.1, non-blocking), each
 * event timed from its database time ({@code at}, taken in the transition's transaction) to its arrival,
 * on this machine's clock, and every stream checked against the feed itself ({@code GET /api/events}).
 * A single-file program (JDK only; {@code java SseSubscribers.java …} compiles and runs it), so that the
 * benchmark needs no build of its own.
 *
 * <p>Arguments: {@code <base url> <after> <all-jobs streams> <first job number> <one-job streams>}; the token
 * comes from the environment ({@code JOBSTATE_BENCH_TOKEN}). Job number n is the job whose UUID has n in its
 * low bits (as the benchmark's SQL makes them); one-job stream i follows job number first + i.
 *
 * <p>Commands on standard input, one per line; each answers with one line on standard output:
 * <ul>
 *   <li>{@code STALL k}: opens k more all-jobs streams that read their first bytes and then nothing more
 *       (as a frozen client would), after the feed's current end; answers {@code STALLED k}.</li>
 *   <li>{@code JOBS <first job number> <count>}: closes the one-job streams and opens {@code count} new ones,
 *       on the given jobs, after the feed's current end (the next cell's active jobs); answers {@code JOBS count}.</li>
 *   <li>{@code CHECK <name> <end>}: waits (up to two minutes) until every reading stream has every event up
 *       to feed position {@code end}, then compares each with the feed (all-jobs streams: exactly the feed
 *       after the start; one-job streams: exactly their job's events, in order) and answers
 *       {@code RESULT name=… streams=… events=… deliveries=… p50_ms=… p99_ms=… max_ms=… all_p99_ms=…
 *       job_p99_ms=… reconnects=… violations=…}, the latencies of the deliveries since the last CHECK.</li>
 *   <li>{@code QUIT}: closes every stream and ends.</li>
 * </ul>
 * A reading stream that the server ends is resumed after its last event ({@code Last-Event-ID}), as an
 * EventSource would, and counted as a reconnect. Not thread-safe beyond what each stream's parser needs:
 * one command at a time.
 */
public final class SseSubscribers {

    private static final Duration CHECK_WAIT = Duration.ofMinutes(2);
    private static final int STREAMS_PER_CLIENT = 500;

    private final URI base;
    private final String token;
    private final long after;
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(daemon("reconnect"));
    private final List<Stream> reading = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Stream> stalled = new ArrayList<>();
    private final Latencies allJobs = new Latencies();
    private final Latencies oneJob = new Latencies();
    private final AtomicInteger reconnected = new AtomicInteger();
    private int opened;

    private SseSubscribers(URI base, String token, long after) {
        this.base = base;
        this.token = token;
        this.after = after;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || System.getenv("JOBSTATE_BENCH_TOKEN") == null) {
            System.err.println("usage: JOBSTATE_BENCH_TOKEN=… java SseSubscribers.java <base url> <after> <all-jobs streams>"
                    + " <first job number> <one-job streams>");
            System.exit(2);
        }
        SseSubscribers subscribers = new SseSubscribers(URI.create(args[0].replaceFirst("/?$", "/")),
                System.getenv("JOBSTATE_BENCH_TOKEN"), Long.parseLong(args[1]));
        int all = Integer.parseInt(args[2]);
        long firstJob = Long.parseLong(args[3]);
        int jobs = Integer.parseInt(args[4]);
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < all; i++) {
            streams.add(subscribers.stream(null, subscribers.allJobs, false));
        }
        for (int i = 0; i < jobs; i++) {
            streams.add(subscribers.stream(jobId(firstJob + i), subscribers.oneJob, false));
        }
        long started = System.nanoTime();
        subscribers.openAll(streams, subscribers.after);
        System.out.printf("READY streams=%d seconds=%.1f%n", streams.size(), (System.nanoTime() - started) / 1e9);
        subscribers.commands();
    }

    private Stream stream(String job, Latencies latencies, boolean stall) {
        HttpClient client;
        if (opened % STREAMS_PER_CLIENT == 0) {
            // a client per few hundred streams: each has one selector thread reading its connections
            ExecutorService executor = Executors.newFixedThreadPool(2, daemon("parse"));
            executors.add(executor);
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                    .executor(executor).build();
            clients.add(client);
        } else {
            client = clients.getLast();
        }
        opened++;
        Stream stream = new Stream(client, job, latencies, stall);
        (stall ? stalled : reading).add(stream);
        return stream;
    }

    /** Opens the streams a hundred at a time, each once its answer's head arrived (200, or the run fails). */
    private void openAll(List<Stream> streams, long position) throws Exception {
        for (int from = 0; from < streams.size(); from += 100) {
            List<CompletableFuture<Void>> heads = new ArrayList<>();
            for (Stream stream : streams.subList(from, Math.min(streams.size(), from + 100))) {
                heads.add(stream.open(position));
            }
            CompletableFuture.allOf(heads.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }
    }

    private void commands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long checkedThrough = after;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "STALL" -> {
                    int count = Integer.parseInt(words[1]);
                    List<Stream> more = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        more.add(stream(null, null, true));
                    }
                    openAll(more, feedEnd());
                    System.out.println("STALLED " + count);
                }
                case "JOBS" -> {
                    long firstJob = Long.parseLong(words[1]);
                    int count = Integer.parseInt(words[2]);
                    List<Stream> retired = reading.stream().filter(stream -> stream.job != null).toList();
                    retired.forEach(Stream::retire);
                    reading.removeAll(retired);
                    List<Stream> more = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        more.add(stream(jobId(firstJob + i), oneJob, false));
                    }
                    openAll(more, feedEnd());
                    System.out.println("JOBS " + count);
                }
                case "CHECK" -> {
                    long end = Long.parseLong(words[2]);
                    System.out.println(check(words[1], checkedThrough, end));
                    checkedThrough = end;
                }
                case "QUIT" -> {
                    return;
                }
                default -> System.out.println("ERROR unknown command " + words[0]);
            }
            System.out.flush();
        }
    }

    private String check(String name, long from, long end) throws Exception {
        long deadline = System.nanoTime() + CHECK_WAIT.toNanos();
        Map<String, List<long[]>> feed = feed(after, end);
        List<long[]> everything = feed.get(null);
        while (System.nanoTime() < deadline && !reading.stream().allMatch(stream -> stream.caughtUp(feed))) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        List<String> violations = new ArrayList<>();
        for (Stream stream : reading) {
            stream.check(feed, violations);
        }
        long events = everything.stream().filter(event -> event[0] > from).count();
        Latencies.Summary all = allJobs.summaryAndReset();
        Latencies.Summary job = oneJob.summaryAndReset();
        Latencies.Summary both = Latencies.Summary.of(all, job);
        violations.stream().limit(10).forEach(violation -> System.err.println("violation: " + violation));
        return String.format("RESULT name=%s streams=%d events=%d deliveries=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
                        + " all_p99_ms=%.1f job_p99_ms=%.1f reconnects=%d violations=%d",
                name, reading.size(), events, both.count(), both.p50(), both.p99(), both.max(), all.p99(), job.p99(),
                reconnected.get(), violations.size());
    }

    /** The feed's current end, from its pages. */
    private long feedEnd() throws Exception {
        long position = after;
        while (true) {
            Page page = page(position);
            if (page.events().isEmpty()) {
                return page.lastSeq();
            }
            position = page.lastSeq();
        }
    }

    /** The feed after {@code from} up to {@code end}: all of it (key null), and each job's events: {seq, version}. */
    private Map<String, List<long[]>> feed(long from, long end) throws Exception {
        Map<String, List<long[]>> feed = new HashMap<>();
        feed.put(null, new ArrayList<>());
        long position = from;
        while (position < end) {
            Page page = page(position);
            if (page.events().isEmpty()) {
                throw new IllegalStateException("the feed ends at " + position + ", before " + end);
            }
            for (Event event : page.events()) {
                if (event.seq() <= end) {
                    feed.get(null).add(new long[] {event.seq(), event.version()});
                    feed.computeIfAbsent(event.job(), job -> new ArrayList<>()).add(new long[] {event.seq(), event.version()});
                }
            }
            position = page.lastSeq();
        }
        return feed;
    }

    private Page page(long position) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/events?limit=1000&after=" + position))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = clients.getFirst().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/events answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        List<Event> events = new ArrayList<>();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int at = indexOf(bytes, 0, bytes.length, SEQ); at >= 0; at = indexOf(bytes, at + 1, bytes.length, SEQ)) {
            int close = indexOf(bytes, at, bytes.length, new byte[] {'}'});
            events.add(Event.parse(bytes, at - 1, close + 1, true));
        }
        int last = body.lastIndexOf("\"lastSeq\":");
        return new Page(events, Long.parseLong(body.substring(last + 10).replaceAll("[^0-9].*$", "")));
    }

    private static String jobId(long number) {
        String hex = String.format("%032x", number);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20)
                + "-" + hex.substring(20);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, "sse-" + name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    record Page(List<Event> events, long lastSeq) {
    }

    /**
     * The fields of an event this program needs, read from the service's JSON (a flat object of strings and
     * whole numbers, written by the service itself; no JSON library in the JDK). {@code job} is read only
     * when asked for: an all-jobs stream checks sequences and versions, which fix the job.
     */
    record Event(long seq, String job, long version, long atMicros) {

        private static final byte[] JOB = "\"jobId\":\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] AT = "\"at\":\"".getBytes(StandardCharsets.US_ASCII);

        static Event parse(byte[] bytes, int from, int to) {
            return parse(bytes, from, to, true);
        }

        static Event parse(byte[] bytes, int from, int to, boolean withJob) {
            String job = null;
            if (withJob) {
                int at = indexOf(bytes, from, to, JOB) + JOB.length;
                job = new String(bytes, at, 36, StandardCharsets.US_ASCII);
            }
            return new Event(number(bytes, indexOf(bytes, from, to, SEQ) + SEQ.length, to), job,
                    number(bytes, indexOf(bytes, from, to, VERSION) + VERSION.length, to),
                    Times.micros(bytes, indexOf(bytes, from, to, AT) + AT.length));
        }

        static long number(byte[] bytes, int at, int to) {
            long value = 0;
            for (int i = at; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                value = value * 10 + (bytes[i] - '0');
            }
            return value;
        }
    }

    /** RFC 3339 UTC times as the service writes them ({@code 2026-11-30T10:15:30.123456Z}), to epoch microseconds. */
    static final class Times {

        private static final ThreadLocal<Object[]> MINUTE = ThreadLocal.withInitial(() -> new Object[] {new byte[0], 0L});

        static long micros(byte[] bytes, int at) {
            // the date, hour and minute change rarely: parsed once per minute and thread
            Object[] cached = MINUTE.get();
            byte[] minute = (byte[]) cached[0];
            if (!java.util.Arrays.equals(minute, 0, minute.length, bytes, at, at + 17)) {
                minute = java.util.Arrays.copyOfRange(bytes, at, at + 17);
                String text = new String(minute, StandardCharsets.US_ASCII) + "00";
                cached[0] = minute;
                cached[1] = LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
            }
            long micros = (long) cached[1] + ((bytes[at + 17] - '0') * 10 + (bytes[at + 18] - '0')) * 1_000_000L;
            int i = at + 19;
            if (bytes[i] == '.') {
                long scale = 100_000;
                for (i++; bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                    micros += (bytes[i] - '0') * scale;
                    scale /= 10;
                }
            }
            return micros;
        }
    }

    /** Latencies in tenths of a millisecond up to a minute, counted per bucket. Thread-safe. */
    static final class Latencies {

        private static final int BUCKETS = 600_000;
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

        void record(long micros) {
            counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, micros / 100)));
        }

        Summary summaryAndReset() {
            long[] snapshot = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                snapshot[i] = counts.getAndSet(i, 0);
            }
            return new Summary(snapshot);
        }

        record Summary(long[] buckets) {

            static Summary of(Summary a, Summary b) {
                long[] sum = new long[BUCKETS];
                for (int i = 0; i < BUCKETS; i++) {
                    sum[i] = a.buckets[i] + b.buckets[i];
                }
                return new Summary(sum);
            }

            long count() {
                long count = 0;
                for (long bucket : buckets) {
                    count += bucket;
                }
                return count;
            }

            double p50() {
                return percentile(50);
            }

            double p99() {
                return percentile(99);
            }

            double max() {
                for (int i = BUCKETS - 1; i >= 0; i--) {
                    if (buckets[i] > 0) {
                        return (i + 1) / 10.0;
                    }
                }
                return 0;
            }

            /** The upper bound of the bucket holding the p-th percentile, in milliseconds. */
            double percentile(double p) {
                long count = count();
                if (count == 0) {
                    return 0;
                }
                long rank = (long) Math.ceil(count * p / 100);
                long seen = 0;
                for (int i = 0; i < BUCKETS; i++) {
                    seen += buckets[i];
                    if (seen >= rank) {
                        return (i + 1) / 10.0;
                    }
                }
                return max();
            }
        }
    }

    /**
     * One stream: opens (and resumes) the request and parses its body as it arrives. An all-jobs stream
     * keeps a count, its last sequence and a running hash of (sequence, version) — the feed is contiguous,
     * so that is enough to compare it with the feed without keeping thousands of events per stream; a
     * one-job stream keeps its (few) events. The parser is confined to the client's delivery of this body
     * (one chunk at a time); what {@link #caughtUp} and {@link #check} read is published under the lock.
     */
    final class Stream implements HttpResponse.BodySubscriber<Void> {

        private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

        private final HttpClient client;
        private final String job;
        private final Latencies latencies;
        private final boolean stall;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final List<long[]> received = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private byte[] line = new byte[512];
        private int length;
        private long id = -1;
        private Event data;
        private long count;
        private long hash;
        private long start;
        private volatile long last;
        private volatile boolean refused;
        private volatile boolean retired;
        private volatile Flow.Subscription subscription;

        Stream(HttpClient client, String job, Latencies latencies, boolean stall) {
            this.client = client;
            this.job = job;
            this.latencies = latencies;
            this.stall = stall;
        }

        CompletableFuture<Void> open(long position) {
            start = position;
            last = position;
            return request(position, false);
        }

        /** Closes the stream for good (no resumption). */
        void retire() {
            retired = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }

        private CompletableFuture<Void> request(long position, boolean resumed) {
            String path = job == null ? "api/events/stream" : "api/jobs/" + job + "/events/stream";
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path + "?after=" + position))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (resumed) {
                request.header("Last-Event-ID", Long.toString(position));
            }
            CompletableFuture<Void> head = new CompletableFuture<>();
            client.sendAsync(request.build(), info -> {
                if (info.statusCode() != 200) {
                    refused = true;
                    head.completeExceptionally(new IllegalStateException(path + " answered " + info.statusCode()));
                    return HttpResponse.BodySubscribers.discarding();
                }
                head.complete(null);
                return this;
            }).whenComplete((response, failure) -> {
                if (failure != null) {
                    head.completeExceptionally(failure);
                }
                ended(failure);
            });
            return head;
        }

        /** The server ended the stream (or the connection broke): a reading stream resumes after its last event. */
        private void ended(Throwable failure) {
            if (stall || retired) {
                return;
            }
            if (refused) {
                synchronized (this) {
                    problems.add("refused (resuming after " + last + ")" + (failure == null ? "" : ": " + failure));
                }
                return;
            }
            reconnected.incrementAndGet();
            reconnects.schedule(() -> {
                length = 0;
                id = -1;
                data = null;
                request(last, true);
            }, 100, TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            // a frozen client takes its first bytes and then nothing: the connection's buffers fill up
            subscription.request(stall ? 1 : Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (stall || retired) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        line();
                        length = 0;
                    } else {
                        if (length == line.length) {
                            line = java.util.Arrays.copyOf(line, line.length * 2);
                        }
                        line[length++] = b;
                    }
                }
            }
        }

        private void line() {
            if (length == 0) {
                if (data != null) {
                    dispatch();
                }
                id = -1;
                data = null;
            } else if (startsWith(ID)) {
                id = Event.number(line, ID.length, length);
            } else if (startsWith(DATA)) {
                data = Event.parse(line, DATA.length, length, job != null);
            }
        }

        private void dispatch() {
            java.time.Instant now = java.time.Instant.now();
            latencies.record(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - data.atMicros());
            synchronized (this) {
                if (id != data.seq()) {
                    problems.add("id " + id + " carries the event of seq " + data.seq());
                }
                if (job != null && !job.equals(data.job())) {
                    problems.add("an event of job " + data.job());
                }
                if (job == null && data.seq() != last + 1) {
                    problems.add("seq " + data.seq() + " after " + last);
                }
                if (job != null) {
                    received.add(new long[] {data.seq(), data.version()});
                }
                count++;
                hash = mix(hash, data.seq(), data.version());
                last = data.seq();
            }
        }

        private boolean startsWith(byte[] prefix) {
            return length >= prefix.length && java.util.Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        /** The events this stream must have: those of its job (or all) after where it started. */
        private List<long[]> expected(Map<String, List<long[]>> feed) {
            return feed.getOrDefault(job, List.of()).stream().filter(event -> event[0] > start).toList();
        }

        /** Whether this stream has its last event up to the end of {@code feed}. */
        boolean caughtUp(Map<String, List<long[]>> feed) {
            List<long[]> events = feed.getOrDefault(job, List.of());
            long lastExpected = events.isEmpty() ? -1 : events.getLast()[0];
            return lastExpected <= start || last >= lastExpected;
        }

        /** Compares what arrived with the feed (which ends at the CHECK's end); adds what differs. */
        synchronized void check(Map<String, List<long[]>> feed, List<String> violations) {
            List<long[]> expected = expected(feed);
            String who = job == null ? "all-jobs stream" : "stream of job " + job;
            long expectedHash = 0;
            for (long[] event : expected) {
                expectedHash = mix(expectedHash, event[0], event[1]);
            }
            if (count != expected.size() || hash != expectedHash) {
                violations.add(who + ": " + count + " events" + (count == expected.size() ? " (other sequences or versions)" : "")
                        + ", the feed has " + expected.size() + (job == null ? "" : ": got " + seqs(received) + ", feed " + seqs(expected)));
            }
            problems.forEach(problem -> violations.add(who + ": " + problem));
            problems.clear();
        }

        private static String seqs(List<long[]> events) {
            return events.stream().map(event -> event[0] + "v" + event[1]).toList().toString();
        }
    }

    /** A running hash of (sequence, version) pairs: equal lists give equal hashes, any difference almost surely not. */
    static long mix(long hash, long seq, long version) {
        long h = hash * 0x9E3779B97F4A7C15L + seq * 0xC2B2AE3D27D4EB4FL + version;
        return h ^ (h >>> 29);
    }
}
