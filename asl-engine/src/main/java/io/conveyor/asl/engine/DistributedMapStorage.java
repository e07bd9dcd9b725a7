package io.conveyor.asl.engine;

import java.util.List;

/**
 * The S3 operations a Distributed Map needs for ItemReader and ResultWriter. The task package provides an
 * implementation on the AWS SDK; tests may use any other.
 */
public interface DistributedMapStorage {

  /** An object listed by {@link #list}. */
  record Listed(String key, String etag, long size, String lastModified, String storageClass) {
  }

  byte[] get(String bucket, String key);

  void put(String bucket, String key, byte[] body);

  List<Listed> list(String bucket, String prefix);
}
