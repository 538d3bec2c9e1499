package org.scaleml.graph;

/** Makes text echoed from input files safe to print in a one-line message. */
final class Printable {
    private Printable() {
    }

    /**
     * Replaces control characters (C0, DEL, C1), format characters (such as bidirectional overrides), line and
     * paragraph separators and unpaired surrogates with <code>&#92;uXXXX</code>; everything else is kept. The result
     * cannot move the cursor, change colours or break the line on a terminal.
     */
    static String escape(String s) {
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
