package io.jobstate.rest.events;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of one event stream: a queue of stream messages in front of the servlet response's output
 * stream, written with the Servlet API's non-blocking I/O, so that no thread ever waits for a client.
 * The JAX-RS runtime writes through it too ({@link StreamResponse}); streams write pre-serialised
 * messages ({@link SseFrames}), shared with every other stream that carries them.
 *
 * <p>Why not {@code SseEventSink.send}: on Open Liberty (RESTEasy) each send serialises the event again
 * and flushes the connection once per message. With a thousand streams following every event that is a
 * thousand serialisations and a thousand system calls per event; here it is one serialisation per
 * event and one write and flush per stream and batch.
 *
 * <p>Two phases. Until the runtime sends the response head (its first flush, still inside the request's
 * own dispatch) its writes pass straight through, blocking as usual, while messages queue. If a stream is
 * attached, the output then registers its {@link WriteListener} and from then on writes the queue whenever
 * the connection takes more, with one flush per round; anything the runtime writes later (when it closes)
 * joins the queue in order. The queue itself is unbounded here: the stream that fills it bounds it
 * ({@link StreamSubscriber}).
 *
 * <p>Thread-safe: messages are queued by the tail's thread, catch-up tasks and the keep-alive sweep, the
 * container calls the listener on threads of its own, and one thread at a time writes.
 */
final class StreamOutput extends ServletOutputStream {

    /** What the stream attached to an output learns from it. Called without any lock held. */
    interface Listener {

        /** The connection failed or was closed by the client; nothing more will be written. */
        void failed(Throwable failure);

        /** Everything queued has been handed to the connection. */
        void drained();
    }

    private final HttpServletResponse response;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final WriteListener connection = new ConnectionListener();
    private ServletOutputStream out;
    private Listener listener;
    private int queuedMessages;
    private boolean headSent;
    private boolean streaming;
    private boolean writing;
    private boolean unflushed;
    private boolean drainedWanted;
    private boolean closed;
    private volatile long lastProgressNanos = System.nanoTime();

    StreamOutput(HttpServletResponse response) {
        this.response = response;
    }

    /** A stream will write here: once the head is sent, the output writes without blocking. */
    void attach(Listener attached) {
        boolean start;
        lock.lock();
        try {
            listener = attached;
            start = headSent && !streaming && !closed;
            if (start) {
                streaming = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startStreaming();
        }
    }

    /** Queues a message (or several, {@code messages} counts them); false once the output is closed. */
    boolean enqueue(byte[] bytes, int messages) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            queue.add(new Chunk(bytes, messages));
            queuedMessages += messages;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Messages queued and not yet handed to the connection. */
    int queuedMessages() {
        lock.lock();
        try {
            return queuedMessages;
        } finally {
            lock.unlock();
        }
    }

    /** Whether bytes wait (queued, or handed over and not yet flushed). */
    boolean waiting() {
        lock.lock();
        try {
            return !queue.isEmpty() || unflushed || writing;
        } finally {
            lock.unlock();
        }
    }

    /** When the connection last took bytes (or the output was made), for {@link System#nanoTime()}. */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** Asks for one {@link Listener#drained()} call once everything queued has been handed over. */
    void notifyWhenDrained() {
        boolean now;
        lock.lock();
        try {
            now = streaming && !closed && queue.isEmpty() && !unflushed && !writing;
            drainedWanted = !now;
        } finally {
            lock.unlock();
        }
        if (now) {
            listener.drained();
        }
    }

    /** Drops whatever is queued; nothing more is written. The response itself is completed by its sink. */
    void abandon() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            queuedMessages = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Writes what the connection takes now, then flushes; returns at once when it takes nothing more. */
    void drain() {
        lock.lock();
        try {
            if (!streaming || closed || writing) {
                return;
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        try {
            writeRounds();
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                writing = false;
            } finally {
                lock.unlock();
            }
            failed(e);
        }
    }

    private void writeRounds() throws IOException {
        while (true) {
            byte[] bytes = null;
            boolean flush = false;
            lock.lock();
            try {
                if (closed) {
                    writing = false;
                    return;
                }
                if (queue.isEmpty() && !unflushed && !drainedWanted) {
                    // nothing to write and nobody to tell: no need to ask the container (a call that costs it a
                    // few look-ups, and every stream's drain of every batch ends here)
                    writing = false;
                    return;
                }
                // isReady() false arms the container's onWritePossible; writing is cleared under the same
                // lock, so that callback cannot slip in between and find a writer that is about to leave.
                // Before telling that all was drained it also says the last flush has completed.
                if (!out.isReady()) {
                    writing = false;
                    return;
                }
                Chunk chunk = queue.poll();
                if (chunk != null) {
                    queuedMessages -= chunk.messages;
                    bytes = chunk.bytes;
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    flush = true;
                } else {
                    // everything queued is written and flushed, and someone waits to hear it
                    writing = false;
                    drainedWanted = false;
                }
            } finally {
                lock.unlock();
            }
            if (bytes != null) {
                out.write(bytes);
            } else if (flush) {
                out.flush();
            } else {
                listener.drained();
                return;
            }
            lastProgressNanos = System.nanoTime();
        }
    }

    private void startStreaming() {
        lock.lock();
        try {
            // the runtime's flush of the head, inside the request's dispatch, may leave it in the container's
            // buffer (seen on Open Liberty: a quiet stream showed nothing until its first keep-alive): flush
            // once more, now without blocking
            unflushed = true;
        } finally {
            lock.unlock();
        }
        try {
            // from now on the container tells when the connection takes more: onWritePossible comes once at once
            out().setWriteListener(connection);
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Throwable failure) {
        Listener told;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedMessages = 0;
            told = listener;
        } finally {
            lock.unlock();
        }
        if (told != null) {
            told.failed(failure);
        }
    }

    private ServletOutputStream out() throws IOException {
        lock.lock();
        try {
            if (out == null) {
                out = response.getOutputStream();
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    // --- the JAX-RS runtime's side --------------------------------------------------------------------

    /** The runtime may always write: before the head its writes block as usual, after it they queue. */
    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener runtime) {
        // always ready: the listener is told so once, as the Servlet API promises
        try {
            runtime.onWritePossible();
        } catch (IOException | RuntimeException e) {
            runtime.onError(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (passesThrough()) {
            out().write(bytes, offset, length);
            return;
        }
        if (enqueue(Arrays.copyOfRange(bytes, offset, offset + length), 0)) {
            drain();
        }
    }

    @Override
    public void flush() throws IOException {
        if (passesThrough()) {
            out().flush();
            headSent();
            return;
        }
        lock.lock();
        try {
            unflushed = !closed;
        } finally {
            lock.unlock();
        }
        drain();
    }

    @Override
    public void close() throws IOException {
        // an error answer (no stream attached) ends as usual; a stream's response is completed by its sink
        if (passesThrough()) {
            out().close();
        }
    }

    private boolean passesThrough() {
        lock.lock();
        try {
            return !streaming && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** The runtime flushed the head: a stream attached before it may now start. */
    private void headSent() {
        boolean start;
        lock.lock();
        try {
            headSent = true;
            start = listener != null && !streaming && !closed;
            if (start) {
                streaming = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startStreaming();
        }
    }

    /** Bytes to write and how many stream messages they hold (0 for the runtime's own bytes). */
    private record Chunk(byte[] bytes, int messages) {
    }

    /** The container's side: when the connection takes more, and when it failed. */
    private final class ConnectionListener implements WriteListener {

        @Override
        public void onWritePossible() {
            drain();
        }

        @Override
        public void onError(Throwable failure) {
            failed(failure);
        }
    }
}
