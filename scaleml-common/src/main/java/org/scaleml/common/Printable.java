package org.scaleml.common;

/**
 * Makes text echoed from input (file names, tokens, header lines) safe to print in a one-line message.
 * Stateless and thread-safe.
 */
public final class Printable {
    private Printable() {
    }

    /**
     * Replaces control characters (C0, DEL, C1), format characters (such as bidirectional overrides), line and
     * paragraph separators, private-use and unassigned code units and unpaired surrogates with
     * <code>&#92;uXXXX</code> (four lower-case hex digits); everything else, properly paired surrogates
     * included, is kept. The result cannot move the cursor, change colours or break the line on a terminal.
     *
     * @param s the text, or {@code null}
     * @return {@code s} itself when nothing needs escaping, else the escaped copy; {@code null} for {@code null}
     */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.PRIVATE_USE, Character.UNASSIGNED -> true;
                case Character.SURROGATE -> !(Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)))
                        && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                default -> false;
            };
            if (bad && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (bad) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
