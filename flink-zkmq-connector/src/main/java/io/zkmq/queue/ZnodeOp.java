package io.zkmq.queue;

import org.apache.flink.annotation.Internal;

/**
 * One operation of a ZooKeeper {@code multi()}, as data: the storage model says what a transaction
 * does, the client runs it. A version of {@link #ANY_VERSION} matches every version.
 *
 * <p>Data arrays are handed over, not copied: a batch is up to 1 MiB and written on the hot path.
 * So {@code equals} of {@link Create} and {@link SetData} compares the arrays by identity.
 */
@Internal
public sealed interface ZnodeOp {
    int ANY_VERSION = -1;

    String path();

    /** Creates a persistent znode; fails with {@code NodeExists} if it is there. */
    record Create(String path, byte[] data) implements ZnodeOp {}

    /** Replaces the data of a znode whose version is {@code version}. */
    record SetData(String path, byte[] data, int version) implements ZnodeOp {}

    /** Deletes a znode whose version is {@code version}. */
    record Delete(String path, int version) implements ZnodeOp {}

    /** Fails the transaction unless the znode exists at {@code version}. */
    record Check(String path, int version) implements ZnodeOp {}
}
