package org.pstore.reader;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A record's payload as a reader shows it: decompressed when it was stored compressed; when decompression
 * fails, the stored bytes as they are, flagged (never dropped), as Linux shows them in a {@code .enc.z} file.
 */
public record Payload(byte[] bytes, boolean stillCompressed) {

    /** The payload as text when it is valid UTF-8, else null. */
    public String text() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
