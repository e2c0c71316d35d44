package org.pstore.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/** Ordered key/value pairs for the store's marker file. */
final class Facts {
    private Facts() {
    }

    static Map<String, String> of(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
