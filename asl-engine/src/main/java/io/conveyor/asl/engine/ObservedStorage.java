package io.conveyor.asl.engine;

import java.util.List;
import java.util.Map;

/** A Distributed Map's S3 access on behalf of one state machine's role, telling each call to an {@link AwsActionListener}. */
public final class ObservedStorage implements DistributedMapStorage {
  private final DistributedMapStorage store;
  private final String stateMachineArn;
  private final AwsActionListener actions;

  public ObservedStorage(DistributedMapStorage store, String stateMachineArn, AwsActionListener actions) {
    this.store = store;
    this.stateMachineArn = stateMachineArn;
    this.actions = actions;
  }

  @Override
  public byte[] get(String bucket, String key) {
    actions.acted(stateMachineArn, "s3:GetObject", "arn:aws:s3:::" + bucket + "/" + key, Map.of());
    return store.get(bucket, key);
  }

  @Override
  public void put(String bucket, String key, byte[] body) {
    actions.acted(stateMachineArn, "s3:PutObject", "arn:aws:s3:::" + bucket + "/" + key, Map.of());
    store.put(bucket, key, body);
  }

  /** ListObjectsV2 is authorised as {@code s3:ListBucket} on the bucket, with the prefix as {@code s3:prefix}. */
  @Override
  public List<Listed> list(String bucket, String prefix) {
    actions.acted(stateMachineArn, "s3:ListBucket", "arn:aws:s3:::" + bucket, Map.of("s3:prefix", prefix));
    return store.list(bucket, prefix);
  }
}
