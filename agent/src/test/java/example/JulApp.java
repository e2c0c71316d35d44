package example;

import java.util.logging.Logger;

/** Logs through java.util.logging. Args: mode (see {@link Apps}). */
public final class JulApp {
    private static final Logger LOG = Logger.getLogger("example.jul");

    public static void main(String[] args) throws Exception {
        Apps.run(args[0], i -> LOG.info("line " + i), LOG::info);
    }
}
