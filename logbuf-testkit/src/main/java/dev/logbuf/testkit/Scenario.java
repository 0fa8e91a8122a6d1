package dev.logbuf.testkit;

import java.util.List;

/**
 * A single-threaded run: a ring of {@code requestedCapacity} bytes with
 * {@code producers} producer handles, driven through {@code ops}.
 *
 * @param requestedCapacity the capacity asked for (the ring rounds it up)
 * @param producers how many producer handles the operations use
 * @param ops the operations, in order
 */
public record Scenario(int requestedCapacity, int producers, List<Op> ops) {

    @Override
    public String toString() {
        return "capacity " + requestedCapacity + ", " + producers + " producer(s): " + ops;
    }
}
