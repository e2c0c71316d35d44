package org.pstore.core.testing;

import java.util.Random;

/**
 * The torture suite's switches, the same for every part: a short mode that runs inside {@code mvn -B verify},
 * a long mode by hand ({@code -Dpstore.torture=long}), and one seed per part that replays its random choices
 * ({@code -Dpstore.torture.seed=N}, printed at the start). Each part says what it tried and what held, and
 * ends with a line {@code N passed, N failed}.
 */
public final class Torture {
    public static final String MODE = "pstore.torture";
    public static final String SEED = "pstore.torture.seed";

    private Torture() {
    }

    public static boolean longMode() {
        return "long".equals(System.getProperty(MODE));
    }

    /** {@code shortCount} in CI, {@code longCount} in the long mode. */
    public static int scale(int shortCount, int longCount) {
        return longMode() ? longCount : shortCount;
    }

    /** Starts a part: picks its seed (the given one, or a fresh one) and prints it. */
    public static Report start(String part) {
        String given = System.getProperty(SEED);
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : new Random().nextLong();
        Report r = new Report(part, seed);
        r.say("seed " + seed + " (replay: -D" + SEED + "=" + seed + "), " + (longMode() ? "long" : "short") + " mode");
        return r;
    }

    /** What a part tried and what held; fails at {@link #end()} when anything did not. */
    public static final class Report {
        private final String part;
        private final long seed;
        private int passed;
        private int failed;
        private final StringBuilder failures = new StringBuilder();

        private Report(String part, long seed) {
            this.part = part;
            this.seed = seed;
        }

        public long seed() {
            return seed;
        }

        public Random random() {
            return new Random(seed);
        }

        public void say(String line) {
            System.out.println("[" + part + "] " + line);
            System.out.flush();
        }

        public void tried(String what) {
            say("tried: " + what);
        }

        /** Records and prints one check; a failed one also fails the part at {@link #end()}. */
        public boolean check(boolean held, String what) {
            quietly(held, what);
            if (held) {
                say("held: " + what);
            }
            return held;
        }

        /** As {@link #check}, printing only a failure: for checks repeated in every round. */
        public boolean quietly(boolean held, String what) {
            if (held) {
                passed++;
            } else {
                failed++;
                failures.append("\n  ").append(what);
                say("FAILED: " + what);
            }
            return held;
        }

        public void held(String what) {
            check(true, what);
        }

        public int failed() {
            return failed;
        }

        /** Prints the tally and throws if anything failed, with the seed that replays the run. */
        public void end() {
            say(passed + " passed, " + failed + " failed");
            if (failed > 0) {
                throw new AssertionError("[" + part + "] " + failed + " failed (seed " + seed + ", replay with -D" + SEED + "="
                        + seed + "):" + failures);
            }
        }

        /** Fails now, naming the seed: for a divergence after which nothing else can be trusted. */
        public AssertionError fail(String what) {
            check(false, what);
            say(passed + " passed, " + failed + " failed");
            return new AssertionError("[" + part + "] " + what + " (seed " + seed + ", replay with -D" + SEED + "=" + seed + ")");
        }
    }
}
