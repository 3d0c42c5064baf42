Console.WriteLine("stylelab");
