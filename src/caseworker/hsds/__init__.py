"""Open Referral HSDS 3.0 exchange of the support-service directory.

The directory travels as HSDS 3.0 (Human Services Data Specification): as JSON, a list of
compiled ``service`` objects, and as the tabular data package, one CSV file per table with
``datapackage.json``. This package reads and writes both:

``writing``
    the directory as HSDS JSON documents (``export_hsds_json``), confidential data removed;
``reading``
    HSDS JSON and HSDS tables into the directory's domain objects, strictly checked
    (``import_hsds_json``, ``ImportResult``);
``tabular``
    the CSV tables and the data package description, both directions;
``files``
    the file system side: ``read_hsds_json``, ``import_hsds_tabular``, ``export_hsds_tabular``
    and ``load_sample_directory``.

The directory's records themselves live in ``domain.directory``, which knows nothing of HSDS
files.
"""
