package io.zkmq.source.testframe;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's connector test suite for the ZKMQ source (single and multiple splits, savepoint restore
 * with and without rescaling, metrics, idle readers, TaskManager failure), on a MiniCluster against
 * an in-JVM ZooKeeper, for two mappings of splits to ZKMQ, each with exactly-once and at-least-once
 * checkpointing.
 */
class ZkmqSourceTestSuiteITCase extends SourceTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem ZooKeeperTestResource zookeeper = new ZooKeeperTestResource();

    @TestSemantics
    CheckpointingMode[] semantics = {
        CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE
    };

    /** Each split is a new single-partition queue. */
    @TestContext
    ExternalContextFactory<QueuePerSplitContext> queuePerSplit =
            testName -> new QueuePerSplitContext(zookeeper::connectString);

    /** Each split is a new partition of one queue. */
    @TestContext
    ExternalContextFactory<PartitionPerSplitContext> partitionPerSplit =
            testName -> new PartitionPerSplitContext(zookeeper::connectString);
}
