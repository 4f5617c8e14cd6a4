package charrnn.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A message fit for the one line a user is shown: present, not blank, no line breaks. */
public final class OneLine {
    private OneLine() {
    }

    public static void assertOneLine(Throwable e) {
        String m = e.getMessage();
        assertNotNull(m, "no message: " + e);
        assertFalse(m.isBlank(), "blank message: " + e);
        assertFalse(m.contains("\n") || m.contains("\r"), "a message of more than one line: " + m);
    }
}
