"""Statistics: aggregation, validation of counts, outlier hints and disclosure control."""
