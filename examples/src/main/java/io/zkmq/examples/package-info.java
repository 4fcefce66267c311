/**
 * Runnable examples of the Java client, the Flink source and sink and the Table connector, as the
 * user docs show them.
 *
 * <p>Examples show users what to write, so they import only {@code @PublicEvolving} classes of the
 * connector ({@code client}, {@code queue}, {@code error}, {@code source}, {@code sink}, {@code
 * embedded}); Flink and picocli.
 */
package io.zkmq.examples;
