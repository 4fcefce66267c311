/**
 * The {@code zkmq} command-line tool ({@link io.zkmq.cli.ZkmqCli}, picocli): one command class per
 * subcommand, built on the Java client ({@code docs/cli.md}).
 *
 * <p>An application of the connector, not part of its API, so its classes carry no API-status
 * annotation. It imports the connector's {@code client}, {@code queue}, {@code error}, {@code
 * coordination} ({@code maintain}) and {@code embedded} ({@code dev-server}), including a few
 * {@code @Internal} classes (transactions, znode paths, retention) it ships and is tested with;
 * Curator only in {@code maintain}, which joins the maintenance election of a queue.
 */
package io.zkmq.cli;
