package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;

/**
 * A parsed state. Fields that AWS distinguishes between "absent" and "null" keep the raw {@link JsonNode}
 * ({@link MissingNode} when absent). Instances are immutable and shared by every execution.
 */
public abstract sealed class State permits State.Pass, State.Task, State.Choice, State.Wait, State.Succeed,
    State.Fail, State.Parallel, State.MapState {

  /** Fields every state may have. */
  public record Common(String name, String type, QueryLanguage queryLanguage, String next, boolean end,
      JsonNode inputPath, JsonNode outputPath, JsonNode parameters, JsonNode resultSelector, JsonNode resultPath,
      JsonNode arguments, JsonNode output, JsonNode assign, List<Retrier> retry, List<Catcher> catchers) {
  }

  private final Common common;

  State(Common common) {
    this.common = common;
  }

  public Common common() {
    return common;
  }

  public String name() {
    return common.name();
  }

  public String type() {
    return common.type();
  }

  public QueryLanguage queryLanguage() {
    return common.queryLanguage();
  }

  public boolean isJsonata() {
    return common.queryLanguage() == QueryLanguage.JSONATA;
  }

  /** Pass state. */
  public static final class Pass extends State {
    private final JsonNode result;

    public Pass(Common c, JsonNode result) {
      super(c);
      this.result = result;
    }

    /** The Result field, or null when absent. */
    public JsonNode result() {
      return result;
    }
  }

  /** Task state. */
  public static final class Task extends State {
    private final String resource;
    private final JsonNode timeoutSeconds;
    private final JsonNode timeoutSecondsPath;
    private final JsonNode heartbeatSeconds;
    private final JsonNode heartbeatSecondsPath;

    public Task(Common c, String resource, JsonNode timeoutSeconds, JsonNode timeoutSecondsPath,
        JsonNode heartbeatSeconds, JsonNode heartbeatSecondsPath) {
      super(c);
      this.resource = resource;
      this.timeoutSeconds = timeoutSeconds;
      this.timeoutSecondsPath = timeoutSecondsPath;
      this.heartbeatSeconds = heartbeatSeconds;
      this.heartbeatSecondsPath = heartbeatSecondsPath;
    }

    public String resource() {
      return resource;
    }

    public JsonNode timeoutSeconds() {
      return timeoutSeconds;
    }

    public JsonNode timeoutSecondsPath() {
      return timeoutSecondsPath;
    }

    public JsonNode heartbeatSeconds() {
      return heartbeatSeconds;
    }

    public JsonNode heartbeatSecondsPath() {
      return heartbeatSecondsPath;
    }
  }

  /** Choice state. */
  public static final class Choice extends State {
    private final List<ChoiceRule> choices;
    private final String defaultNext;

    public Choice(Common c, List<ChoiceRule> choices, String defaultNext) {
      super(c);
      this.choices = choices;
      this.defaultNext = defaultNext;
    }

    public List<ChoiceRule> choices() {
      return choices;
    }

    public String defaultNext() {
      return defaultNext;
    }
  }

  /** Wait state. */
  public static final class Wait extends State {
    private final JsonNode seconds;
    private final String secondsPath;
    private final JsonNode timestamp;
    private final String timestampPath;

    public Wait(Common c, JsonNode seconds, String secondsPath, JsonNode timestamp, String timestampPath) {
      super(c);
      this.seconds = seconds;
      this.secondsPath = secondsPath;
      this.timestamp = timestamp;
      this.timestampPath = timestampPath;
    }

    public JsonNode seconds() {
      return seconds;
    }

    public String secondsPath() {
      return secondsPath;
    }

    public JsonNode timestamp() {
      return timestamp;
    }

    public String timestampPath() {
      return timestampPath;
    }
  }

  /** Succeed state. */
  public static final class Succeed extends State {
    public Succeed(Common c) {
      super(c);
    }
  }

  /** Fail state. */
  public static final class Fail extends State {
    private final JsonNode error;
    private final String errorPath;
    private final JsonNode cause;
    private final String causePath;

    public Fail(Common c, JsonNode error, String errorPath, JsonNode cause, String causePath) {
      super(c);
      this.error = error;
      this.errorPath = errorPath;
      this.cause = cause;
      this.causePath = causePath;
    }

    public JsonNode error() {
      return error;
    }

    public String errorPath() {
      return errorPath;
    }

    public JsonNode cause() {
      return cause;
    }

    public String causePath() {
      return causePath;
    }
  }

  /** Parallel state. */
  public static final class Parallel extends State {
    private final List<StateMachineDefinition> branches;

    public Parallel(Common c, List<StateMachineDefinition> branches) {
      super(c);
      this.branches = branches;
    }

    public List<StateMachineDefinition> branches() {
      return branches;
    }
  }

  /** Map state, inline or distributed. */
  public static final class MapState extends State {
    /** Map-specific fields. */
    public record Spec(StateMachineDefinition processor, boolean distributed, String executionType, JsonNode itemsPath,
        JsonNode items, JsonNode itemSelector, JsonNode maxConcurrency, String maxConcurrencyPath,
        JsonNode toleratedFailureCount, String toleratedFailureCountPath, JsonNode toleratedFailurePercentage,
        String toleratedFailurePercentagePath, JsonNode itemReader, JsonNode itemBatcher, JsonNode resultWriter,
        String label, boolean legacyParameters) {
    }

    private final Spec spec;

    public MapState(Common c, Spec spec) {
      super(c);
      this.spec = spec;
    }

    public Spec spec() {
      return spec;
    }
  }
}
