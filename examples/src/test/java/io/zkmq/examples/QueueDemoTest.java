package io.zkmq.examples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class QueueDemoTest {
    @Test
    void theDemoVerifiesExactlyOnceInOrderDeliveryOnAnEmbeddedZooKeeper() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new QueueDemo()).execute("--records", "20000", "--partitions", "3");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("Started an embedded ZooKeeper")
                .contains("VERIFIED 20000 records produced -> 20000 consumed, exactly once, in order per key");
    }
}
