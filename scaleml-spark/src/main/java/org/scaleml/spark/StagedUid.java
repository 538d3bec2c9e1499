package org.scaleml.spark;

import org.apache.spark.ml.util.Identifiable;

/**
 * Hands a uid to a Spark ML stage written in Java before its Scala superclass constructor asks for it.
 *
 * <p>Spark's Params traits create their {@code Param}s during the superclass constructor, and each {@code Param}
 * records its parent's {@code uid()} then, before any field of the Java subclass is assigned. So a stage built with
 * a given uid (copies, loading) stages it here in an argument expression of {@code this(...)}, which runs before the
 * superclass constructor, and {@code uid()} claims it lazily on first call; the uid field must have no initializer,
 * or the subclass's field initialization would erase the value set during the superclass constructor.
 */
final class StagedUid {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    private StagedUid() {
    }

    /** Stages {@code uid} for the next stage constructed on this thread; returns null (a constructor argument). */
    static Void stage(String uid) {
        NEXT.set(uid);
        return null;
    }

    /** The staged uid (removed), or a fresh random one with {@code prefix}. */
    static String claim(String prefix) {
        String staged = NEXT.get();
        NEXT.remove();
        return staged != null ? staged : Identifiable.randomUID(prefix);
    }
}
