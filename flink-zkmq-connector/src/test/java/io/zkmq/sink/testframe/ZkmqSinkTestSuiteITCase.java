package io.zkmq.sink.testframe;

import io.zkmq.source.testframe.ZooKeeperTestResource;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Timeout;

/**
 * Flink's connector test suite for the ZKMQ sink (basic, savepoint restore, scale up, scale down,
 * metrics) on a MiniCluster against an in-JVM ZooKeeper, with exactly-once and at-least-once
 * delivery. The suite's own waits have no deadline, hence the timeout per case.
 */
@Timeout(180)
class ZkmqSinkTestSuiteITCase extends SinkTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem ZooKeeperTestResource zookeeper = new ZooKeeperTestResource();

    @TestSemantics
    CheckpointingMode[] semantics = {
        CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE
    };

    @TestContext
    ExternalContextFactory<ZkmqSinkExternalContext> queue =
            testName -> new ZkmqSinkExternalContext(zookeeper::connectString);
}
