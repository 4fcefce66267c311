/**
 * The Java client: Curator wiring and the ZooKeeper session ({@link io.zkmq.client.ZkmqClient}),
 * queue administration ({@link io.zkmq.client.QueueAdmin}), the producer and its appends, the
 * consumer and its fetches, and the exactly-once transactions with their clean-up. It builds the
 * maintenance tasks of a queue and hands them to the maintenance leader of {@code coordination}.
 *
 * <p>May import {@code coordination}, {@code queue}, {@code hashing} and {@code error}; Curator and
 * ZooKeeper. Never the Flink adapters ({@code connector}, {@code source}, {@code sink}, {@code
 * table}).
 */
package io.zkmq.client;
