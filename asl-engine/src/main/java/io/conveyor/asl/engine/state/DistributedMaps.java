package io.conveyor.asl.engine.state;

import java.util.concurrent.CompletableFuture;

/**
 * Runs a Distributed Map's items as child executions under a Map Run. The engine provides it: child executions
 * are executions of their own, which only the engine starts, lists and aborts.
 */
@FunctionalInterface
public interface DistributedMaps {

  /** The Map state's step once its Map Run has ended (MapStateStarted already recorded). */
  CompletableFuture<Step> run(MapPlan plan);
}
