package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executions' log keeps what was appended, cuts a torn tail, and a rewrite replaces it whole. */
class AppendLogTest {
  @TempDir
  Path dir;

  private List<AppendLog.Entry> reopen(Path file) {
    List<AppendLog.Entry> seen = new ArrayList<>();
    AppendLog.open(file, seen::add).close();
    return seen;
  }

  @Test
  void aTornLastEntry_isCutOff_andWhatFollowsIsReadAgain() throws Exception {
    Path file = dir.resolve("x.log");
    try (AppendLog log = AppendLog.open(file, e -> { })) {
      log.append(1, "arn", "{\"a\":\"é\"}");
      log.append(2, "arn");
    }
    // What a power cut in the middle of a write can leave: the start of an entry.
    Files.write(file, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);
    try (AppendLog log = AppendLog.open(file, e -> { })) {
      log.append(3, "arn", "key", "[]");
    }
    assertEquals(List.of(new AppendLog.Entry(1, List.of("arn", "{\"a\":\"é\"}")), new AppendLog.Entry(2, List.of("arn")),
        new AppendLog.Entry(3, List.of("arn", "key", "[]"))), reopen(file));
  }

  @Test
  void anEntryWhoseChecksumFails_endsTheLog() throws Exception {
    Path file = dir.resolve("x.log");
    try (AppendLog log = AppendLog.open(file, e -> { })) {
      log.append(1, "first");
      log.append(1, "second");
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertEquals(List.of(new AppendLog.Entry(1, List.of("first"))), reopen(file));
  }

  @Test
  void aRewrite_replacesTheEntries_andAppendsFollowIt() {
    Path file = dir.resolve("x.log");
    try (AppendLog log = AppendLog.open(file, e -> { })) {
      log.append(1, "old");
      log.rewrite(List.of(new AppendLog.Entry(1, List.of("kept"))));
      log.append(2, "new");
    }
    assertEquals(List.of(new AppendLog.Entry(1, List.of("kept")), new AppendLog.Entry(2, List.of("new"))),
        reopen(file));
  }
}
