package io.zkmq.client;

/**
 * The points of one partition's offload run where a crash or a lost lead matters; a test acts there
 * (e.g. expires the leader's real ZooKeeper session) through an {@link OffloadStep.Hook}.
 */
enum OffloadStep {
    /** Segments chosen, nothing written to the tier yet. */
    BEFORE_UPLOAD,
    /** The object is written and verified, not registered. */
    AFTER_UPLOAD,
    /** The object is registered (index entry and tierHigh), nothing deleted from ZooKeeper yet. */
    AFTER_REGISTRATION,
    /** Hot trim deleted one segment from ZooKeeper and is about to delete the next one. */
    DURING_HOT_TRIM;

    /** Called at each step; the default does nothing. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = (step, partition) -> {};

        void reached(OffloadStep step, int partition) throws Exception;
    }
}
