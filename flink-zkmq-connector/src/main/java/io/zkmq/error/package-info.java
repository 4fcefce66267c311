/**
 * The connector's single unchecked exception family, rooted at {@link io.zkmq.error.ZkmqException}.
 * Shared by the storage model, the client and the Flink adapters.
 */
package io.zkmq.error;
