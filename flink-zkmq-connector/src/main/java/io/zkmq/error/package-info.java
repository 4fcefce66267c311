/**
 * The connector's single unchecked exception family, rooted at {@link io.zkmq.error.ZkmqException}.
 * Shared by the storage model, the client and the Flink adapters.
 *
 * <p>May import nothing of {@code io.zkmq}; of ZooKeeper only {@code KeeperException}, whose result
 * codes {@link io.zkmq.error.ZkErrors} translates into this family (no other ZooKeeper class, no
 * Curator).
 */
package io.zkmq.error;
