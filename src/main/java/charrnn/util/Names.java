package charrnn.util;

import java.util.Arrays;
import java.util.Locale;

/**
 * Choices by name ({@code --cell lstm}, meta.json's {@code "adam"}): an enum's constants read by their
 * lower-case names, and the one message that says what an option may be.
 */
public final class Names {
    private Names() {
    }

    /** The constant of {@code type} whose lower-case name is {@code name}, or null. */
    public static <E extends Enum<E>> E parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The constant {@code name} names, in any case; else "FLAG must be a, b or c, got NAME". */
    public static <E extends Enum<E>> E option(String flag, Class<E> type, String name) {
        E e = parse(type, name == null ? "" : name.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException(mustBe(flag, type) + ", got " + name);
        }
        return e;
    }

    /** "FLAG must be a, b or c": what an option of {@code type} may be. */
    public static <E extends Enum<E>> String mustBe(String flag, Class<E> type) {
        String[] names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        String last = names[names.length - 1];
        return flag + " must be " + (names.length == 1 ? last
                : String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + last);
    }
}
