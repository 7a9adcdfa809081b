package org.segstream.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every bundled model's training data is credited with its licence in NOTICE (which the jar carries) and in
 * README, and the project's LICENSE is the Apache License 2.0: a model trained on new data fails here until
 * its data is credited.
 */
class BundledModelCreditsTest {
  private static final Path MODELS = Path.of("src/main/resources/models");

  /** The data sets bundled models may be trained on: metadata id, the name and licence the credits must state. */
  private record Credit(String name, String licence) {}

  private static final Map<String, Credit> KNOWN = Map.of("oxford-iiit-pet", new Credit("Oxford-IIIT Pet", "CC BY-SA 4.0"));

  @Test
  void everyBundledModelsTrainingDataIsCreditedWithItsLicence() throws IOException {
    String notice = Files.readString(Path.of("NOTICE"));
    String readme = Files.readString(Path.of("README.md"));
    List<Path> models;
    try (Stream<Path> dirs = Files.list(MODELS)) {
      models = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertFalse(models.isEmpty(), "no bundled model under " + MODELS);
    ObjectMapper json = new ObjectMapper();
    for (Path model : models) {
      JsonNode meta = json.readTree(model.resolve(ModelMetadata.FILE_NAME).toFile());
      String dataset = meta.path("trainedOn").path("dataset").asText("");
      Credit credit = KNOWN.get(dataset);
      assertNotNull(credit, model + " was trained on '" + dataset + "': credit that data and its licence in NOTICE and "
          + "README, then add it to this test");
      for (String text : List.of(credit.name(), credit.licence(), dataset)) {
        assertTrue(notice.contains(text), "NOTICE does not name " + text + " for " + model.getFileName());
      }
      assertTrue(notice.contains(model.getFileName().toString()), "NOTICE does not name the model " + model.getFileName());
      assertTrue(readme.contains(credit.name()) && readme.contains(credit.licence()),
          "README does not credit " + credit.name() + " (" + credit.licence() + ")");
    }
  }

  @Test
  void theProjectIsLicensedUnderApache2() throws IOException {
    String licence = Files.readString(Path.of("LICENSE"));
    assertTrue(licence.strip().startsWith("Apache License"), "LICENSE is the Apache License's full text");
    assertTrue(licence.contains("Version 2.0, January 2004") && licence.contains("END OF TERMS AND CONDITIONS")
        && licence.length() > 10_000, "LICENSE holds the whole Apache License 2.0");
    assertTrue(Files.readString(Path.of("NOTICE")).contains("Apache License, Version 2.0"));
  }
}
