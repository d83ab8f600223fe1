Console.WriteLine("series");
