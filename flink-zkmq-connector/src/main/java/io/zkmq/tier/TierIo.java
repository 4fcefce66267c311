package io.zkmq.tier;

import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.error.ZkmqException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.flink.core.fs.Path;

/** Turns file system failures into the connector's exceptions, naming the operation and path. */
final class TierIo {
    private TierIo() {}

    /**
     * A missing file is a definite answer ({@link TierObjectNotFoundException}); anything else may
     * be retried.
     */
    static ZkmqException failure(String operation, Path path, IOException e) {
        if (e instanceof FileNotFoundException || e instanceof NoSuchFileException) {
            return new TierObjectNotFoundException(
                    "Tier object "
                            + path
                            + " does not exist (deleted, or never written): cannot "
                            + operation,
                    e);
        }
        return new TierUnavailableException(
                "Tier file system failed to " + operation + " " + path + ": " + e, e);
    }
}
