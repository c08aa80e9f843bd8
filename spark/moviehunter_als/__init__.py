"""MovieHunter's PySpark ALS job: reads a run folder, trains implicit ALS, writes recommendations and the model."""
