/**
 * The in-process ZooKeeper server ({@link io.zkmq.embedded.EmbeddedZooKeeper}) of the demo and of
 * {@code zkmq dev-server}.
 *
 * <p>May import {@code error}; the ZooKeeper server.
 */
package io.zkmq.embedded;
