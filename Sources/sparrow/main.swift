print("sparrow")
