"""Files that leave or enter the program: form JSON files, data packages, Excel summaries."""
