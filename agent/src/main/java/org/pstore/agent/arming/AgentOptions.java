package org.pstore.agent.arming;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's option string, {@code key=value,key=value}: each key a setting's name without {@code pstore.}
 * ({@code dir}, {@code kmsgBytes}, {@code panic.action}, ...). Values cannot hold a comma (none of pstore's
 * need one); a path with one goes through {@code -Dpstore.dir} or {@code PSTORE_DIR} instead.
 */
final class AgentOptions {
    private AgentOptions() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return options;
        }
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad agent option '" + item.trim() + "': expected key=value");
            }
            String key = item.substring(0, eq).trim();
            String old = options.put(key, item.substring(eq + 1).trim());
            if (old != null) {
                throw new IllegalArgumentException("agent option " + key + " given twice");
            }
        }
        return options;
    }
}
