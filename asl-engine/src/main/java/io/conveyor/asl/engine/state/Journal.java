package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an execution has done that must not be done twice, by effect key: a task attempt started and its outcome, a
 * callback's token and its delivery, a timer's deadline, a Map Run's and its child executions' ARNs. With a data
 * directory the engine keeps it on disk and, after a restart, replays each unfinished execution from its start:
 * states that have no effects run again (they are pure functions of their input), and every effect recorded is
 * taken from here instead of being performed again. In memory ({@link #NONE}) nothing is recorded and every key is
 * unknown, at the cost of one check per effect.
 *
 * <p>Keys are deterministic: a branch's path (the state and visit that started a Parallel branch or Map iteration,
 * its index), the visit number and name of the state within its branch, the attempt, the kind of effect. Thread-safe.
 */
public interface Journal {

  /** Keeps nothing: the engine's in-memory mode. */
  Journal NONE = new Journal() {
    @Override
    public boolean durable() {
      return false;
    }

    @Override
    public JsonNode get(String key) {
      return null;
    }

    @Override
    public void put(String key, JsonNode value) {
      // Nothing outlives the process in memory.
    }
  };

  /** False in memory: callers skip building keys. */
  boolean durable();

  /** The value recorded under {@code key}, or null. */
  JsonNode get(String key);

  /** Records {@code value} under {@code key}; once this returns, it survives the end of the process. */
  void put(String key, JsonNode value);
}
