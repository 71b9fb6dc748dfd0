{
  "name": "x",
  "version": "1.0"
}
