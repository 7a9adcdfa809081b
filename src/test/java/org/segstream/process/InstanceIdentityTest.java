package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.segstream.config.InvalidSettingException;

/** The instance id, its transactional id and its state directory lock. */
class InstanceIdentityTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/name", "colon:name", "ümlaut", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void rejectsIdsThatCannotNameAMemberAProducerAndADirectory(String id) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new InstanceIdentity(id, dir));
    assertEquals("instance-id", e.setting());
    assertTrue(e.getMessage().contains("instance id '" + id + "'"), e.getMessage());
  }

  @Test
  void defaultIdIsTheCleanedHostNameAndTheStateDirIsPerApplicationAndInstance() {
    String id = InstanceIdentity.defaultId();
    InstanceIdentity identity = new InstanceIdentity(id, InstanceIdentity.defaultStateDir("segstream-process", id));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache", "segstream", "streams", "segstream-process", id), identity.stateDir());
    assertEquals(id, InstanceIdentity.defaultId(), "the default id is stable");
  }

  @ParameterizedTest
  @CsvSource({
    "segstream-process, cam-host-1, segstream-process-0c9a4c4e-8f43-4a4e-9b59-3a2b7c1d9e10-1, segstream-process-cam-host-1-1",
    "app, h, app-0C9A4C4E-8F43-4A4E-9B59-3A2B7C1D9E10-12, app-h-12",
  })
  void transactionalIdTakesTheInstanceIdInPlaceOfTheRandomProcessId(
      String applicationId, String instanceId, String streams, String expected) {
    assertEquals(expected, new StableTransactionalIds(applicationId, instanceId).rename(streams));
  }

  @ParameterizedTest
  @ValueSource(strings = {"other-0c9a4c4e-8f43-4a4e-9b59-3a2b7c1d9e10-1", "app-notauuid-1", "app-0c9a4c4e-8f43-4a4e-9b59-3a2b7c1d9e10-x",
      "app-0c9a4c4e-8f43-4a4e-9b59-3a2b7c1d9e10", "app-0c9a4c4e-8f43-4a4e-9b59-3a2b7c1d9e10-"})
  void anUnexpectedStreamsTransactionalIdFailsInsteadOfGuessing(String streams) {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new StableTransactionalIds("app", "h").rename(streams));
    assertTrue(e.getMessage().contains(streams), e.getMessage());
  }

  @Test
  void aSecondProcessOfTheSameInstanceFailsWithAMessageAndGetsTheLockOnceReleased() throws IOException {
    InstanceIdentity identity = new InstanceIdentity("cam-host-1", dir.resolve("state"));
    try (StateDirectoryLock held = StateDirectoryLock.acquire(identity)) {
      assertTrue(Files.exists(identity.stateDir().resolve(StateDirectoryLock.FILE_NAME)));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectoryLock.acquire(identity));
      assertTrue(e.getMessage().contains("instance cam-host-1") && e.getMessage().contains(identity.stateDir().toString()),
          e.getMessage());
    }
    try (StateDirectoryLock again = StateDirectoryLock.acquire(identity)) {
      again.close();
      again.close(); // closing twice is harmless
    }
  }
}
